"""A tiny browser over http.client: cookies, the CSRF token and the fields read from the exercise page."""

import http.client
import re
import time
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]+)"')
RADIO = re.compile(r'name="(sentence-\d+)" value="([^"]+)"')
FEEDBACK = re.compile(r"Feedback on attempt (\d+): (\d+) of (\d+) right")
ATTEMPT_URL = re.compile(r"^/exercises/([\w-]+)/attempts/(\d+)/")
STALE_CONNECTION = (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)


class Browser:
    """One connection; `cookies` may be shared with another Browser to act as the same person."""

    def __init__(self, port, cookies=None, timeout=60):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies = {} if cookies is None else cookies

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in list(self.cookies.items()))
        for attempt in (1, 2):
            reused = self.connection.sock is not None
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                # The server closed a kept-alive connection while it was idle (gevent workers keep
                # them 2 s): it read nothing, so send once more on a new one, as browsers do.
                if not (attempt == 1 and reused and isinstance(error, STALE_CONNECTION)):
                    raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.headers.get("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, response.headers, text

    def post_form(self, path, pairs, htmx=False):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if htmx:
            headers["HX-Request"] = "true"
        return self.request("POST", path, urlencode(pairs).encode(), headers)

    def login(self, username, password):
        status, _, page = self.request("GET", "/accounts/login/")
        token = TOKEN.search(page).group(1)
        status, headers, _ = self.post_form(
            "/accounts/login/", [("username", username), ("password", password), ("csrfmiddlewaretoken", token)]
        )
        assert status == 302, (status, username)

    def exercise_form(self, slug):
        """(token, version, {field: [labels]}) from the exercise page."""
        status, _, page = self.request("GET", f"/exercises/{slug}/")
        assert status == 200, status
        fields = {}
        for name, value in RADIO.findall(page):
            fields.setdefault(name, []).append(value)
        return TOKEN.search(page).group(1), VERSION.search(page).group(1), fields


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start
