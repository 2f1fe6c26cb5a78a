from django import forms

# The full Home Office file is about 15 MB; the ONS one far less.
MAX_RELEASE_BYTES = 100 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Release file",
        help_text="The Home Office police force area open data tables (.ods) or the ONS "
        "police force area data tables (.xlsx), as downloaded.",
    )
    release_date = forms.DateField(
        required=False,
        help_text="The day it was released (YYYY-MM-DD). Leave empty for a Home Office "
        "file: its name carries the date.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RELEASE_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_RELEASE_BYTES // 1024 // 1024} MB: is it the "
                "police force area file?"
            )
        return upload
