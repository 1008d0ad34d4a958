from django.contrib import admin
from django.core.exceptions import ValidationError

from . import services
from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """Staff edit synonym groups; saving goes through the service (audit event, dictionary update)."""

    list_display = ["words", "note", "updated_at"]
    search_fields = ["words", "note"]

    def save_model(self, request, obj, form, change) -> None:
        try:
            services.save_synonym(actor=request.user, words=obj.words, note=obj.note, synonym=obj)
        except ValidationError as exc:  # pragma: no cover - the form shows the field error
            form.add_error(None, exc)

    def delete_model(self, request, obj) -> None:
        services.delete_synonym(obj, actor=request.user)
