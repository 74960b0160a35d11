"""Bare WSGI hello-world: the framework-floor limit reference, served by the same gunicorn."""


def application(environ, start_response):
    body = b'{"hello": "world"}'
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
