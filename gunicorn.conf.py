"""gunicorn's configuration for ``make serve``, read from the same environment
as the Django settings (see the README's *Settings*).

gunicorn reads this file by itself when started in this folder; ``make serve``
names it too. Options given on gunicorn's command line override it.
"""

import os

from gunicorn.config import ControlSocket

from policing.env import env_bool

# Forwarded headers. gunicorn by default believes X-Forwarded-Proto (and its
# other "secure scheme" headers) from 127.0.0.1 and marks such a request as
# HTTPS before Django sees it, whatever DJANGO_BEHIND_PROXY says: a client on
# this machine, or a proxy that passes the header on untouched, could then
# skip the HTTPS redirect. Trust the headers only from the proxy we are told
# about, and only when we are told there is one.
if env_bool("DJANGO_BEHIND_PROXY", False):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    # The one header the README asks the proxy to overwrite, as Django's
    # SECURE_PROXY_SSL_HEADER reads it; not X-Forwarded-Ssl or -Protocol, which
    # a proxy may pass on from the client.
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}

# The control socket (gunicorn 25.1+, for the gunicornc tool). gunicorn's
# default is one path per user ($XDG_RUNTIME_DIR/gunicorn.ctl or
# ~/.gunicorn/gunicorn.ctl), so a second server on the machine takes it over
# and the first to stop deletes the other's. Each server gets its own, in the
# same folder, named after its master process; GUNICORN_CONTROL_SOCKET=off
# turns it off, any other value is the path to use.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
if _control_socket.lower() in {"off", "0", "no", "false"}:
    control_socket_disable = True
elif _control_socket:
    control_socket = _control_socket
else:
    control_socket = os.path.join(
        os.path.dirname(ControlSocket.default), f"policing-measures-{os.getpid()}.ctl"
    )
