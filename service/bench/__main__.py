"""`python -m service.bench [--quick] [--sizes 1k,10k,...]`: see `--help`."""

from service.bench import main

raise SystemExit(main())
