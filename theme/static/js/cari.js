/* Cari pengaduan: a complaint's number goes straight to its page; words are looked up in the
   Pagefind index built with the site (loaded from this site only, and only when searching): one
   bundle per year, or per part of a big year (data-indeks, newest first), the newest loaded with
   Pagefind's program and the others merged into it, so one search covers every year. */
(function () {
  "use strict";
  var form = document.getElementById("cari-form");
  var input = document.getElementById("cari-isian");
  var output = document.getElementById("cari-hasil");
  if (!form || !input || !output || !window.fetch || !window.URL) { return; }
  var root = new URL(form.getAttribute("data-akar") || "../", location.href);
  var bundles = (form.getAttribute("data-indeks") || "").split(/\s+/).filter(Boolean);
  var NUMBER = /^\s*(?:adu)?[\s\-_.]*(\d{8})[\s\-_.]*([0-9a-z]{4})\s*$/i;
  var pagefind = null;
  form.hidden = false;

  function say(text) {
    output.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    output.appendChild(p);
  }

  function complaintNumber(text) {
    var match = NUMBER.exec(text);
    if (!match) { return null; }
    // Crockford base32: O is 0, I and L are 1.
    var suffix = match[2].toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
    return "ADU-" + match[1] + "-" + suffix;
  }

  function open(number) {
    var url = new URL("pengaduan/" + number + "/", root);
    say("Membuka pengaduan " + number + " …");
    fetch(url.href, {method: "HEAD"}).then(function (response) {
      if (response.ok) { location.href = url.href; return; }
      say("Pengaduan " + number + " tidak ditemukan. Periksa kembali nomornya. Pengaduan yang " +
          "dirahasiakan atas permintaan pelapor tidak diterbitkan.");
    }, function () { location.href = url.href; });
  }

  function load() {
    if (!pagefind) {
      if (!bundles.length) { return Promise.reject(new Error("no index")); }
      var base = {baseUrl: root.pathname};
      pagefind = import(new URL("pagefind/" + bundles[0] + "/pagefind.js", root).href).then(function (module) {
        return Promise.resolve(module.options(base)).then(function () {
          return Promise.all(bundles.slice(1).map(function (bundle) {
            return module.mergeIndex(new URL("pagefind/" + bundle + "/", root).pathname, base);
          }));
        }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  // The excerpt as text, with Pagefind's <mark> kept and nothing else interpreted.
  function excerpt(html) {
    var p = document.createElement("p");
    var parts = String(html).split(/<\/?mark>/);
    for (var i = 0; i < parts.length; i++) {
      var decode = document.createElement("textarea");   // entities decoded, nothing parsed as HTML
      decode.innerHTML = parts[i];
      var text = decode.value;
      if (i % 2) { var mark = document.createElement("mark"); mark.textContent = text; p.appendChild(mark); }
      else { p.appendChild(document.createTextNode(text)); }
    }
    return p;
  }

  function show(query, results, data) {
    output.textContent = "";
    var p = document.createElement("p");
    p.textContent = results.length ? results.length + " pengaduan memuat \u201c" + query + "\u201d" +
      (results.length > data.length ? "; " + data.length + " teratas:" : ":") :
      "Tidak ada pengaduan yang memuat \u201c" + query + "\u201d.";
    output.appendChild(p);
    if (!data.length) { return; }
    var list = document.createElement("ol");
    list.className = "hasil";
    data.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = String(item.url).replace(/\.html$/, "/");   // the index names pengaduan/<id>.html
      a.textContent = (item.meta && item.meta.title) || item.url;
      li.appendChild(a);
      li.appendChild(excerpt(item.excerpt || ""));
      list.appendChild(li);
    });
    output.appendChild(list);
  }

  function search(query) {
    say("Mencari …");
    load().then(function (module) { return module.search(query); }).then(function (found) {
      var results = (found && found.results) || [];
      return Promise.all(results.slice(0, 20).map(function (r) { return r.data(); })).then(function (data) {
        show(query, results, data);
      });
    }).catch(function () {
      say("Pencarian tidak dapat dimuat. Gunakan daftar per bulan di bawah.");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    if (!query) { say("Tulis nomor pengaduan atau kata yang dicari."); return; }
    var number = complaintNumber(query);
    if (number) { open(number); return; }
    // the address keeps a word's search (Back from a result returns to it); never a number, which
    // may be a confidential complaint's, sent again to the host's logs on a reload
    if (history.replaceState) { history.replaceState(null, "", "?q=" + encodeURIComponent(query)); }
    search(query);
  });

  var asked = new URLSearchParams(location.search).get("q");
  if (asked) { input.value = asked; form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit")); }
})();
