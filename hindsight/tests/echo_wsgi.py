"""A WSGI app for test_deploy.py: answers with the address and path the app was given, so a
test can see what gunicorn, run with deploy/gunicorn.conf.py, hands to Django."""

import json


def app(environ, start_response):
    body = json.dumps({
        "remote_addr": environ.get("REMOTE_ADDR"),
        "x_real_ip": environ.get("HTTP_X_REAL_IP"),
        "path": environ.get("PATH_INFO"),
    }).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
