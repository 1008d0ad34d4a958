from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "gongkai.office"
    verbose_name = "政务公开办公室"

    def ready(self) -> None:
        # 工作要点 Art. 三十三: each organisation's 落实情况 goes into its annual report's text.
        from gongkai.reports import sections as report_sections

        from .workplan import workplan_paragraphs

        if workplan_paragraphs not in report_sections.TEXT_SECTION_PROVIDERS:
            report_sections.TEXT_SECTION_PROVIDERS.append(workplan_paragraphs)
