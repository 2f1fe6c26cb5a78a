from django import forms

from measures.imports import UploadError

from .imports import POPULATION_COLUMNS, SIMILAR_GROUP_COLUMNS, read_rows


class _CsvUploadForm(forms.Form):
    columns: tuple[str, ...] = ()

    file = forms.FileField(label="CSV file")
    source = forms.CharField(
        max_length=300,
        help_text="Where the numbers come from: the publication's title and date, or "
        "“Illustrative”.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.cleaned_data["rows"] = read_rows(upload.read(), self.columns)
        except UploadError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class PopulationUploadForm(_CsvUploadForm):
    columns = POPULATION_COLUMNS


class SimilarGroupUploadForm(_CsvUploadForm):
    columns = SIMILAR_GROUP_COLUMNS

    source_url = forms.URLField(label="Source web address", required=False, assume_scheme="https")
    illustrative = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Leave ticked unless the file is exactly the published list named as the source.",
    )


class SimilarGroupForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        force, members = data.get("force"), data.get("members")
        if force is not None and members is not None and force in members:
            self.add_error("members", f"{force} cannot be in its own group.")
        return data
