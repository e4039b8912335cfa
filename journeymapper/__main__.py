from journeymapper.cli import main

raise SystemExit(main())
