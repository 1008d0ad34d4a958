"""Date formats per UI language (FORMAT_MODULE_PATH): templates write `date:"DATE_FORMAT"` and get
2026年11月27日 on the Chinese pages and 27 November 2026 on the English ones."""
