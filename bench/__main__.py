"""`python -m bench [--quick] [--sizes 1k,10k,...]`: see `--help`."""

from bench import main

raise SystemExit(main())
