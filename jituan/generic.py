"""The list and edit views every screen of the app is built from."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .text import clean_text_fields


class TableListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """A sortable, paginated, filterable table of what a selector returns for the user."""

    raise_exception = True
    paginate_by = 25
    template_name = "partials/table_page.html"
    title = ""
    create_url = ""
    create_permission = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if self.create_url and self.request.user.has_perm(self.create_permission):
            context["create_url"] = self.create_url
        return context


class ModelEditView(PermissionRequiredMixin, FormView):
    """A model form, optionally with an inline formset beside it, saved together by a service.
    Create when the URL has no pk, edit when it has one."""

    raise_exception = True
    add_permission = ""
    change_permission = ""
    formset_class = None
    formset_prefix = "rows"

    def get_permission_required(self):
        return [self.change_permission if "pk" in self.kwargs else self.add_permission]

    def dispatch(self, request, *args, **kwargs):
        # Scoped lookup first, so that another member's object answers 404 whatever the role.
        if request.user.is_authenticated:
            self.object = self.get_object() if "pk" in kwargs else self.new_object()
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        raise NotImplementedError

    def new_object(self):
        return self.form_class._meta.model()

    def save(self, form, formset):
        """Call the service; raise ValidationError to show the problem on the form."""
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_formset(self):
        if self.formset_class is None:
            return None
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        return self.formset_class(data, files, instance=self.object, prefix=self.formset_prefix)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        model = type(self.object)
        formset = kwargs["formset"]
        return super().get_context_data(
            object=self.object,
            verbose_name=model._meta.verbose_name,
            formset_title=formset.model._meta.verbose_name_plural if formset else "",
            **kwargs,
        )

    def form_valid(self, form):
        formset = self.get_formset()
        if formset is not None and not formset.is_valid():
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        # Characters no .xlsx can hold (a pasted Word line break …) never reach the database.
        clean_text_fields(form.instance)
        for row in formset.forms if formset is not None else []:
            clean_text_fields(row.instance)
        try:
            saved = self.save(form, formset)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(self.request, _("Saved %(name)s.") % {"name": saved})
        return redirect(self.get_success_url_for(saved))

    def get_success_url_for(self, saved):
        return saved.get_absolute_url()
