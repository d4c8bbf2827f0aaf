from soapdesk.gui.app import main

raise SystemExit(main())
