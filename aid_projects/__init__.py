"""Foreign non-governmental aid: donors, programmes and projects, disbursements, progress reports, IATI export."""
