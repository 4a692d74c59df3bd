"""Records: reading, validating and classifying complaint files and the policy.

The lowest layer: imports nothing of ours from the layers above."""
