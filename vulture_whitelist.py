"""What vulture cannot see being used (``make lint`` runs vulture).

Each name here is used by Django, a library or a template rather than by
Python code: choices' members and model fields read by forms, templates and
migrations; signal and hook arguments whose names are fixed by the caller;
pytest fixtures requested by name; factory options. A name that is here but
no longer used anywhere should go, with the code it names.
"""

# ruff: noqa
_.ALLOWED_HOSTS  # bench/pages_benchmark.py
_.return_ok_secure  # bench/soak.py
cookie  # bench/soak.py
sender  # core/cache.py
changed_at  # core/models.py
hints  # core/routers.py
obj1  # core/routers.py
obj2  # core/routers.py
_.public_value  # measures/admin.py
national_latest  # measures/display.py
MONTHLY  # measures/models.py
TWICE_YEARLY  # measures/models.py
ANNUALLY  # measures/models.py
IRREGULAR  # measures/models.py
COUNTRY  # measures/models.py
REGION  # measures/models.py
LOCAL_AUTHORITY  # measures/models.py
COMMUNITY_SAFETY_PARTNERSHIP  # measures/models.py
update_frequency  # measures/models.py
created_at  # measures/models.py
updated_at  # measures/models.py
period_from  # opendata/filters.py
period_to  # opendata/filters.py
publication_status  # opendata/filters.py
color  # pages/charts.py
commissioner  # plan/models.py
statement_intro  # plan/models.py
demo_transactional  # tests/browser/conftest.py
is_active  # tests/browser/test_csp.py
is_superuser  # tests/browser/test_csp.py
perm  # tests/browser/test_csp.py
transactional_db  # tests/conftest.py
demo_transactional  # tests/core/test_backup.py
django_get_or_create  # tests/factories.py
email  # tests/factories.py
commissioner  # tests/factories.py
figure_admin_with_actions  # tests/opendata/test_staff_downloads.py
_.statement_intro  # tests/plan/test_views.py
_.statement_intro  # tests/test_escaping.py
_.compress_type  # official/odswriter.py
exc  # official/odswriter.py
offence_group  # official/readers.py
offence_subgroup  # official/readers.py
otp_token  # core/sites.py: the two-factor form's field, read by django-otp
_.otp_device  # core/sites.py: set for django-otp's login
behind_a_proxy  # tests/core/test_signin.py: a fixture requested by name
ResilientRedisCache  # core/cache_backends.py: the cache backend, named in the settings
_.SESSION_ENGINE  # tests/core/redis.py: the session engine a test applies
handle_starttag  # tests/test_fault_matrix.py: HTMLParser's hooks
handle_endtag  # tests/test_fault_matrix.py
handle_data  # tests/test_fault_matrix.py
database_down  # tests/core/test_outages.py: a fixture requested by name
pytest_collection_modifyitems  # tests/browser/conftest.py: a pytest hook
pytest_runtest_setup  # tests/conftest.py: a pytest hook
config  # tests/browser/conftest.py: the hook's argument, named by pytest
django_db_setup  # tests/test_serve.py: a fixture requested by name
null_share  # measures/stats/poisson.py: for the callers, as the test's expected share
comparison_start  # measures/models.py: stored by measures.verdicts, read by the downloads' columns
comparison_end  # measures/models.py: the same
comparison_value  # measures/models.py: the same
FINANCIAL_YEAR  # official/models.py: a recipe's choice, compared by its value in official/aggregate.py
definition_source  # official/models.py: shown in the admin and the releases page
imported_by  # official/models.py: shown in the admin
imported_at  # official/models.py: shown in the admin and the releases page
PRIMARY  # measures/models.py: SourceKind's values, read from framework files
COPY  # measures/models.py
SECONDARY  # measures/models.py
issued_by  # measures/models.py: a framework's field, shown by the templates
expectation  # measures/models.py: a framework's field, shown in the admin
expectation_due  # measures/models.py
remove_logo  # plan/admin.py: a form field, read from cleaned_data
publishing_body  # plan/context_processors.py: named in the settings
PFCC  # plan/models.py: a BodyKind value
logo_alt  # plan/models.py: the body's fields, shown by templates/base.html
telephone  # plan/models.py
website  # plan/models.py
address  # plan/models.py
logo_upload  # plan/admin.py: a form field, read from cleaned_data
OUTSTANDING  # plan/models.py: PEEL grades, chosen in the admin
ADEQUATE  # plan/models.py
INADEQUATE  # plan/models.py
REQUIRES_IMPROVEMENT  # plan/models.py
can_delete  # plan/admin.py: an inline's option
introduction  # plan/models.py: an edition's fields, shown by templates/pages/_edition_body.html
peel_title  # plan/models.py
peel_url  # plan/models.py
peel_published  # plan/models.py
peel_note  # plan/models.py: read by templates/pages/_edition_body.html
complaints_note  # plan/models.py: read by templates/pages/_edition_body.html
complaints_quarterly_url  # plan/models.py
complaints_annual_url  # plan/models.py
complaints_report_url  # plan/models.py
grade  # plan/models.py
demo_editions  # tests/conftest.py: a fixture requested by name
complaints_name  # pages/about.py: an enforcer's, shown by templates/pages/about/accessibility.html
complaints_url  # pages/about.py
criterion  # pages/about.py: a known shortfall's, shown by the accessibility statement
alternative  # pages/about.py
raise_request_exception  # tests: the test client's option, to see the 500 page
LOCALE_PATHS  # tests/pages/test_about.py: a setting overridden for makemessages
parameter_name  # releases/admin.py: Django's SimpleListFilter
lookups  # releases/admin.py: Django's SimpleListFilter
iso  # releases/display.py: the calendar's template
scheduled_at  # releases/models.py
checked_values  # measures/forms.py: a form field, rendered by the entry checks' widget
reason_for_revision  # measures/forms.py: a form field
showing  # opendata/tables.py: read by templates/opendata/index.html
sorted_by  # opendata/tables.py: read by templates/opendata/figure_table.html
WHITENOISE_USE_FINDERS  # tests/browser/site_settings.py: a setting WhiteNoise reads
DEBUG  # tests/browser/site_settings.py: a Django setting
max_num  # core/admin_inlines.py: a formset attribute Django reads
absolute_max  # core/admin_inlines.py: a formset attribute Django reads
_class  # core/cache_backends.py: the client class Django's RedisCache builds
