/* Respon Pengaduan Pelayanan: what the web editor (Decap CMS, vendored in vendor/decap-cms/) needs
 * beyond its generated config.yml:
 *  - the Indonesian interface (Decap CMS ships no Indonesian locale; missing phrases fall back
 *    to English),
 *  - times in the Puskesmas's zone, whatever the zone of the computer: the form shows and takes
 *    wall-clock times (config.yml), each saved with the policy's offset (WIB +07:00, WITA +08:00,
 *    WIT +09:00; Indonesia has no daylight saving time), and "Sekarang" is the time now there,
 *  - before saving: the complaint id (ADU-YYYYMMDD-XXXX from the local date received in the
 *    Puskesmas's time zone), a save stopped (with what to do) when the date received no longer
 *    matches the id's date, and empty optional fields removed, so the file the editor writes
 *    passes `pengaduan check` as it is.
 * Settings come from index.html (window.PENGADUAN), which `pengaduan editor` generates.
 */
(function () {
  'use strict';
  var settings = window.PENGADUAN || {};

  var id = {
    auth: {
      login: 'Masuk', loggingIn: 'Sedang masuk...',
      loginWithNetlifyIdentity: 'Masuk dengan Netlify Identity', loginWithAzure: 'Masuk dengan Azure',
      loginWithBitbucket: 'Masuk dengan Bitbucket', loginWithGitHub: 'Masuk dengan GitHub',
      loginWithGitLab: 'Masuk dengan GitLab', loginWithGitea: 'Masuk dengan Gitea',
      loginWithForgejo: 'Masuk dengan Forgejo',
      errors: {
        email: 'Isi alamat email Anda.', password: 'Isi kata sandi Anda.',
        identitySettings: 'Pengaturan identitas tidak dapat dibaca.'
      }
    },
    app: {
      header: { content: 'Pengaduan', workflow: 'Alur persetujuan', media: 'Berkas', quickAdd: 'Tambah cepat' },
      app: {
        errorHeader: 'Konfigurasi editor tidak dapat dimuat', configErrors: 'Kesalahan konfigurasi',
        checkConfigYml: 'Periksa admin/config.yml (buat ulang dengan `pengaduan editor`).',
        loadingConfig: 'Memuat konfigurasi...', waitingBackend: 'Menunggu repositori...'
      },
      notFoundPage: { header: 'Tidak ditemukan' }
    },
    collection: {
      sidebar: { collections: 'Koleksi', allCollections: 'Semua koleksi', searchAll: 'Cari semua', searchIn: 'Cari di' },
      collectionTop: {
        sortBy: 'Urutkan', viewAs: 'Tampilan', viewAsList: 'Tampilan daftar', viewAsGrid: 'Tampilan kisi',
        newButton: '＋ %{collectionLabel} baru', newButtonAriaLabel: 'Buat %{collectionLabel} baru',
        ascending: 'Naik', descending: 'Turun',
        searchResults: 'Hasil pencarian "%{searchTerm}"',
        searchResultsInCollection: 'Hasil pencarian "%{searchTerm}" di %{collection}',
        filterBy: 'Saring', groupBy: 'Kelompokkan'
      },
      entries: {
        loadingEntries: 'Memuat pengaduan...', cachingEntries: 'Menyimpan sementara...',
        longerLoading: 'Ini bisa memakan beberapa menit', noEntries: 'Belum ada pengaduan',
        unpublishedHeader: 'Belum diterbitkan'
      },
      groups: { other: 'Lainnya', negateLabel: 'Bukan %{label}' },
      defaultFields: { author: { label: 'Penulis' }, updatedOn: { label: 'Diubah pada' } }
    },
    editor: {
      editorControl: { field: { optional: 'tidak wajib', widgetLabel: 'kolom %{widgetLabel}' } },
      editorControlPane: {
        widget: {
          required: '%{fieldLabel} wajib diisi.',
          regexPattern: '%{fieldLabel} tidak sesuai format: %{pattern}.',
          processing: '%{fieldLabel} sedang diproses.',
          range: '%{fieldLabel} harus antara %{minValue} dan %{maxValue}.',
          min: '%{fieldLabel} paling sedikit %{minValue}.', max: '%{fieldLabel} paling banyak %{maxValue}.',
          rangeCount: '%{fieldLabel} harus berisi %{minCount} sampai %{maxCount} butir.',
          rangeCountExact: '%{fieldLabel} harus berisi tepat %{count} butir.',
          rangeMin: '%{fieldLabel} paling sedikit %{minCount} butir.',
          rangeMax: '%{fieldLabel} paling banyak %{maxCount} butir.',
          invalidPath: "'%{path}' bukan lokasi berkas yang sah", pathExists: "Berkas '%{path}' sudah ada"
        },
        i18n: { writingInLocale: 'Menulis dalam %{locale}', copyFromLocale: 'Salin dari bahasa lain',
                copyFromLocaleConfirm: 'Salin isi dari %{locale}?\nIsi yang ada akan ditimpa.' }
      },
      editor: {
        onLeavePage: 'Tinggalkan halaman ini? Perubahan yang belum disimpan akan hilang.',
        onUpdatingWithUnsavedChanges: 'Ada perubahan yang belum disimpan: simpan dulu sebelum mengubah status.',
        onPublishingNotReady: 'Ubah status menjadi "Siap terbit" sebelum menerbitkan.',
        onPublishingWithUnsavedChanges: 'Ada perubahan yang belum disimpan: simpan dulu sebelum menerbitkan.',
        onPublishing: 'Terbitkan pengaduan ini? (Kepala Puskesmas menyetujui: pull request digabung ke main.)',
        onUnpublishing: 'Tarik kembali pengaduan ini dari situs?',
        onDeleteWithUnsavedChanges: 'Hapus pengaduan yang sudah terbit ini beserta perubahan yang belum disimpan?',
        onDeletePublishedEntry: 'Hapus pengaduan yang sudah terbit ini?',
        onDeleteUnpublishedChangesWithUnsavedChanges: 'Semua perubahan yang belum terbit dan yang belum disimpan akan dihapus. Lanjutkan?',
        onDeleteUnpublishedChanges: 'Semua perubahan yang belum terbit akan dihapus. Lanjutkan?',
        loadingEntry: 'Memuat pengaduan...',
        confirmLoadBackup: 'Ada salinan cadangan di peramban ini untuk pengaduan ini. Pakai salinan itu?'
      },
      editorInterface: { toggleI18n: 'Bahasa', togglePreview: 'Pratinjau', toggleScrollSync: 'Gulir bersama', toggleNotes: 'Catatan' },
      editorNotesPane: {
        title: 'Catatan', emptyState: 'Belum ada catatan.', addNote: 'Tambah catatan',
        addPlaceholder: 'Tulis catatan...', editPlaceholder: 'Ubah catatan...', save: 'Simpan', cancel: 'Batal',
        edit: 'Ubah', delete: 'Hapus', resolve: 'Selesai', unresolve: 'Buka lagi',
        confirmDelete: 'Hapus catatan ini?', shortcut: 'Tekan Ctrl+Enter untuk menambah catatan'
      },
      editorToolbar: {
        publishing: 'Menerbitkan...', publish: 'Terbitkan', published: 'Terbit', unpublish: 'Tarik dari situs',
        duplicate: 'Gandakan', unpublishing: 'Menarik...', publishAndCreateNew: 'Terbitkan lalu buat baru',
        publishAndDuplicate: 'Terbitkan lalu gandakan', deleteUnpublishedChanges: 'Hapus perubahan yang belum terbit',
        deleteUnpublishedEntry: 'Hapus pengaduan yang belum terbit', deletePublishedEntry: 'Hapus pengaduan yang sudah terbit',
        deleteEntry: 'Hapus', saving: 'Menyimpan...', save: 'Simpan',
        statusInfoTooltipDraft: 'Status: draf. Bila sudah lengkap, ubah status menjadi "Diperiksa Kepala".',
        statusInfoTooltipInReview: 'Kepala Puskesmas sedang memeriksa. Anda masih boleh mengubah isinya.',
        deleting: 'Menghapus...', updating: 'Memperbarui...', status: 'Status: %{status}',
        backCollection: ' Menulis di %{collectionLabel}', unsavedChanges: 'Belum disimpan',
        changesSaved: 'Tersimpan', draft: 'Draf', inReview: 'Diperiksa Kepala', ready: 'Siap terbit',
        publishNow: 'Terbitkan sekarang', deployPreviewPendingButtonLabel: 'Cek pratinjau',
        deployPreviewButtonLabel: 'Lihat pratinjau', deployButtonLabel: 'Lihat di situs'
      },
      editorWidgets: {
        markdown: {
          bold: 'Tebal', italic: 'Miring', strikethrough: 'Coret', code: 'Kode', link: 'Tautan',
          linkPrompt: 'Tulis alamat tautan', headings: 'Judul', quote: 'Kutipan', bulletedList: 'Daftar berbutir',
          numberedList: 'Daftar bernomor', addComponent: 'Tambah komponen', richText: 'Teks', markdown: 'Markdown',
          toggleMode: { rich: 'Ke mode teks', markdown: 'Ke mode markdown' }
        },
        image: { choose: 'Pilih gambar', chooseMultiple: 'Pilih gambar', chooseUrl: 'Dari alamat web',
                 replaceUrl: 'Ganti dengan alamat web', promptUrl: 'Tulis alamat gambar',
                 chooseDifferent: 'Pilih gambar lain', addMore: 'Tambah gambar', remove: 'Hapus gambar',
                 removeAll: 'Hapus semua gambar' },
        file: { choose: 'Pilih berkas', chooseUrl: 'Dari alamat web', chooseMultiple: 'Pilih berkas',
                replaceUrl: 'Ganti dengan alamat web', promptUrl: 'Tulis alamat berkas',
                chooseDifferent: 'Pilih berkas lain', addMore: 'Tambah berkas', remove: 'Hapus berkas',
                removeAll: 'Hapus semua berkas' },
        unknownControl: { noControl: "Kolom '%{widget}' tidak dikenal." },
        unknownPreview: { noPreview: "Pratinjau '%{widget}' tidak ada." },
        headingOptions: { headingOne: 'Judul 1', headingTwo: 'Judul 2', headingThree: 'Judul 3',
                          headingFour: 'Judul 4', headingFive: 'Judul 5', headingSix: 'Judul 6' },
        datetime: { now: 'Sekarang', clear: 'Kosongkan', setToNow: 'Isi %{fieldLabel} dengan waktu sekarang' },
        list: { add: 'Tambah %{item}', addType: 'Tambah %{item}' },
        object: { expand: 'Buka', collapse: 'Tutup' }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { draft: 'Draf', copy: 'Salin', copyUrl: 'Salin alamat', copyPath: 'Salin lokasi',
                          copyName: 'Salin nama', copied: 'Tersalin' },
      mediaLibrary: { onDelete: 'Hapus berkas yang dipilih?',
                      fileTooLarge: 'Berkas terlalu besar.\nBatasnya %{size} kB.' },
      mediaLibraryModal: {
        loading: 'Memuat...', close: 'Tutup', noResults: 'Tidak ada hasil.', noAssetsFound: 'Tidak ada berkas.',
        noImagesFound: 'Tidak ada gambar.', private: 'Privat ', images: 'Gambar', mediaAssets: 'Berkas',
        search: 'Cari...', uploading: 'Mengunggah...', upload: 'Unggah', download: 'Unduh',
        deleting: 'Menghapus...', deleteSelected: 'Hapus yang dipilih', chooseSelected: 'Pakai yang dipilih'
      }
    },
    ui: {
      default: { goBackToSite: 'Kembali ke situs' },
      errorBoundary: {
        title: 'Galat', details: 'Terjadi kesalahan. Mohon ', reportIt: 'laporkan kepada pengelola repositori.',
        detailsHeading: 'Rincian',
        privacyWarning: 'Laporan berisi pesan galat. Hapus data pribadi pelapor sebelum mengirimnya.',
        recoveredEntry: { heading: 'Isian yang diselamatkan', warning: 'Salin isian ini ke tempat lain sebelum meninggalkan halaman!',
                          copyButtonLabel: 'Salin' }
      },
      settingsDropdown: { logOut: 'Keluar', account: 'Menu akun' },
      toast: {
        onFailToLoadEntries: 'Gagal memuat pengaduan: %{details}',
        onFailToLoadDeployPreview: 'Gagal memuat pratinjau: %{details}',
        onFailToPersist: 'Gagal menyimpan: %{details}', onFailToDelete: 'Gagal menghapus: %{details}',
        onFailToUpdateStatus: 'Gagal mengubah status: %{details}',
        missingRequiredField: 'Ada kolom wajib yang belum diisi. Lengkapi dulu sebelum menyimpan.',
        entrySaved: 'Tersimpan: pull request pengaduan ini diperbarui', entryPublished: 'Diterbitkan',
        entryUnpublished: 'Ditarik dari situs', onFailToPublishEntry: 'Gagal menerbitkan: %{details}',
        onFailToUnpublishEntry: 'Gagal menarik: %{details}', entryUpdated: 'Status diperbarui',
        onDeleteUnpublishedChanges: 'Perubahan yang belum terbit dihapus', noteAdded: 'Catatan ditambahkan',
        onFailToAddNote: 'Gagal menambah catatan: %{details}', noteUpdated: 'Catatan diperbarui',
        onFailToUpdateNote: 'Gagal memperbarui catatan: %{details}', noteDeleted: 'Catatan dihapus',
        onFailToDeleteNote: 'Gagal menghapus catatan: %{details}', noteResolved: 'Catatan selesai',
        noteReopened: 'Catatan dibuka lagi', onFailToToggleNote: 'Gagal mengubah catatan: %{details}',
        onFailToAuth: '%{details}',
        onLoggedOut: 'Anda keluar. Salin isian yang belum tersimpan, lalu masuk lagi.',
        onBackendDown: 'Layanan repositori sedang gangguan. Lihat %{details}.'
      }
    },
    workflow: {
      workflow: {
        loading: 'Memuat alur persetujuan', workflowHeading: 'Alur persetujuan (pull request)', newPost: 'Pengaduan baru',
        description: '%{smart_count} pengaduan menunggu, %{readyCount} siap terbit. |||| %{smart_count} pengaduan menunggu, %{readyCount} siap terbit. ',
        dateFormat: 'D MMMM'
      },
      workflowCard: {
        lastChange: '%{date} oleh %{author}', lastChangeNoAuthor: '%{date}', lastChangeNoDate: 'oleh %{author}',
        deleteChanges: 'Hapus perubahan', deleteNewEntry: 'Hapus pengaduan baru',
        publishChanges: 'Terbitkan perubahan', publishNewEntry: 'Terbitkan pengaduan baru'
      },
      workflowList: {
        onDeleteEntry: 'Hapus pengaduan ini?',
        onPublishingNotReadyEntry: 'Hanya yang berstatus "Siap terbit" dapat diterbitkan. Geser kartunya ke kolom "Siap terbit".',
        onPublishEntry: 'Terbitkan pengaduan ini?', draftHeader: 'Draf (petugas)',
        inReviewHeader: 'Diperiksa Kepala', readyHeader: 'Siap terbit',
        currentEntries: '%{smart_count} pengaduan |||| %{smart_count} pengaduan'
      }
    }
  };

  var CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

  function localDate(value, zone) {
    // YYYYMMDD of the instant `value` in the Puskesmas's time zone.
    var parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(value));
    var get = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
    return get('year') + get('month') + get('day');
  }

  var ZONE = settings.zona_waktu || 'Asia/Jakarta';
  var OFFSETS = { 'Asia/Jakarta': '+07:00', 'Asia/Pontianak': '+07:00', 'Asia/Makassar': '+08:00',
                  'Asia/Jayapura': '+09:00' };
  var OFFSET = OFFSETS[ZONE] || '+07:00';
  var ZONE_NAME = { '+07:00': 'WIB', '+08:00': 'WITA', '+09:00': 'WIT' }[OFFSET];
  var WALL_CLOCK = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/;

  function withZone(value) {
    // A wall-clock time typed in the form (2026-11-23T09:30:00) -> with the Puskesmas's offset.
    // A time that has one already (read from the file, not changed) is kept as written.
    var match = typeof value === 'string' && WALL_CLOCK.exec(value);
    return match ? match[1] + 'T' + match[2] + (match[3] || ':00') + OFFSET : value;
  }

  function nowThere(type) {
    // The time now in the Puskesmas as the browser's input wants it (datetime-local or date).
    var parts = {};
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
                                       hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    var day = parts.year + '-' + parts.month + '-' + parts.day;
    return type === 'date' ? day : day + 'T' + parts.hour + ':' + parts.minute;
  }

  // Decap's "Sekarang" fills the time of the computer's zone; a computer set to another zone
  // (UTC, say) would record the wrong hour. Fill the time now in the Puskesmas instead, through
  // the input as if typed.
  var setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  window.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-testid="now-button"]');
    var input = button && button.parentElement && button.parentElement.parentElement &&
      button.parentElement.parentElement.querySelector('input');
    if (!input || (input.type !== 'datetime-local' && input.type !== 'date')) { return; }
    event.stopPropagation();
    event.preventDefault();
    setValue.call(input, nowThere(input.type));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, true);

  function dayText(yyyymmdd) {
    return yyyymmdd.slice(6, 8) + '-' + yyyymmdd.slice(4, 6) + '-' + yyyymmdd.slice(0, 4);
  }

  // A message that stays on screen until closed (Decap's own notice disappears after 8 seconds).
  function showProblem(text) {
    hideProblem();
    var box = document.createElement('div');
    box.id = 'pengaduan-masalah';   // not a live region: Decap's notice announces the same text
    box.style.cssText = 'position:fixed;z-index:10000;top:12px;left:50%;transform:translateX(-50%);' +
      'max-width:min(680px,94vw);background:#fff;color:#5c0011;border:3px solid #a40e26;border-radius:6px;' +
      'padding:14px 16px;font:16px/1.5 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.25)';
    var words = document.createElement('p');
    words.style.cssText = 'margin:0 0 10px;color:#5c0011';
    words.textContent = text;
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Tutup';
    close.style.cssText = 'font:inherit;padding:4px 14px;background:#a40e26;color:#fff;border:0;border-radius:4px;cursor:pointer';
    close.addEventListener('click', hideProblem);
    box.appendChild(words);
    box.appendChild(close);
    document.body.appendChild(box);
  }

  function hideProblem() {
    var old = document.getElementById('pengaduan-masalah');
    if (old) { old.parentNode.removeChild(old); }
  }

  function refuse(text) {
    showProblem(text);
    var error = new Error(text);
    error.name = '';   // the notice reads "Gagal menyimpan: <text>", not "Error: <text>"
    throw error;
  }

  function newId(received) {
    var random = new Uint8Array(4);
    window.crypto.getRandomValues(random);
    var tail = '';
    for (var i = 0; i < 4; i++) { tail += CROCKFORD[random[i] % 32]; }
    return 'ADU-' + localDate(received, ZONE) + '-' + tail;
  }

  function isEmpty(value) {
    if (value === null || value === undefined || value === '') { return true; }
    if (Array.isArray(value)) { return value.length === 0; }
    if (typeof value === 'object') { return Object.keys(value).length === 0; }
    return false;
  }

  function emptyPaths(value, path, found) {
    // Paths of empty values, deepest first, so a section left blank disappears entirely.
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      Object.keys(value).forEach(function (key) { emptyPaths(value[key], path.concat([key]), found); });
      var left = Object.keys(value).filter(function (key) { return !isEmpty(value[key]); });
      if (path.length && left.length === 0) { found.push(path); }
    } else if (path.length && isEmpty(value)) {
      found.push(path);
    }
    return found;
  }

  function beforeSave(args) {
    hideProblem();
    var data = args.entry.get('data');
    (settings.waktu || []).forEach(function (path) {
      var value = data.getIn(path);
      if (value) { data = data.setIn(path, withZone(value)); }
    });
    var received = data.get('diterima');
    var id = data.get('id');
    if (!id && received) { data = data.set('id', newId(received)); }
    if (id && received) {
      // The id (and the file's name) holds the date received; the editor cannot rename a file.
      var idDay = id.slice(4, 12);
      var day = localDate(received, ZONE);
      if (/^[0-9]{8}$/.test(idDay) && day !== idDay) {
        refuse('Belum disimpan. "Waktu pengaduan diterima" sekarang bertanggal ' + dayText(day) + ' (' + ZONE_NAME +
               '), padahal nomor pengaduan ' + id + ' memuat tanggal ' + dayText(idDay) + ', dan nomor itu ' +
               '(juga nama berkasnya) tidak bisa diubah di editor. Bila hanya jamnya yang salah, ubah jamnya ' +
               'tetapi kembalikan tanggalnya ke ' + dayText(idDay) + ', lalu Simpan. Bila tanggalnya memang ' +
               'salah, kembalikan dulu ke ' + dayText(idDay) + ' dan Simpan, lalu minta pengelola repositori ' +
               'mengganti nomor dan nama berkas pengaduan ini (pemeriksaan `pengaduan check` menyebut nomor ' +
               'yang benar setelah tanggalnya diubah).');
      }
    }
    emptyPaths(data.toJS(), [], []).forEach(function (path) {
      if (path[0] !== 'body') { data = data.deleteIn(path); }
    });
    // Decap CMS orders the top-level keys as the form does, not those of a section: put them in
    // the form's order too, as a hand-written file has them.
    Object.keys(settings.urutan || {}).forEach(function (key) {
      var section = data.get(key);
      if (!section || typeof section.clear !== 'function' || !section.has) { return; }
      var ordered = section.clear();
      settings.urutan[key].forEach(function (name) {
        if (section.has(name)) { ordered = ordered.set(name, section.get(name)); }
      });
      data = data.set(key, ordered);
    });
    return data;
  }

  // Decap CMS lower-cases every part of a new file's name, and its collection `path` template
  // too, removing quotes and dots (which breaks `{{fields.diterima | date('YYYY')}}`). A complaint
  // file is content/complaints/<year received>/<id>.md with the id in upper case. So a string
  // that is exactly such an id, or exactly our path template (config.yml), is kept as it is.
  // tests/test_editor_e2e.py proves the file name after a save; a Decap upgrade that changes
  // this fails that test.
  var ID = /^\s*ADU-[0-9]{8}-[0-9A-HJKMNP-TV-Z]{4}\s*$/;
  var PATH_TEMPLATE = settings.path_template;
  function Kept(text) { this.text = text; }
  Kept.prototype.replace = function (pattern, by) {
    if (pattern instanceof RegExp && (pattern.source === "[']" || pattern.source === '[.]')) { return this; }
    return this.text.replace(pattern, by);
  };
  Kept.prototype.toString = function () { return this.text; };
  var lowerCase = String.prototype.toLocaleLowerCase;
  String.prototype.toLocaleLowerCase = function () {
    var text = String(this);
    if (PATH_TEMPLATE && text === PATH_TEMPLATE) { return new Kept(text); }
    return ID.test(text) ? text : lowerCase.apply(this, arguments);
  };

  // Icon-only buttons of Decap CMS's list and object fields have no accessible name: give them one.
  function nameButtons() {
    document.querySelectorAll('[class*="TopBarButton"]:not([aria-label])').forEach(function (button) {
      if (button.textContent.trim()) { return; }
      var last = !button.nextElementSibling;
      button.setAttribute('aria-label', last ? 'Hapus butir ini' : 'Buka atau tutup butir ini');
    });
    document.querySelectorAll('[aria-roledescription="sortable"]:not([aria-label])').forEach(function (item) {
      item.setAttribute('aria-label', 'Butir daftar (seret untuk mengubah urutan)');
    });
  }
  new MutationObserver(nameButtons).observe(document.documentElement, { childList: true, subtree: true });

  window.CMS.registerLocale('id', id);
  window.CMS.registerEventListener({ name: 'preSave', handler: beforeSave });
  window.CMS.registerEventListener({ name: 'postSave', handler: hideProblem });
}());
