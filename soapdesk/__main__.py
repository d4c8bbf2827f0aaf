from soapdesk.cli import main

raise SystemExit(main())
