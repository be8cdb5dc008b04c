"""Hostile input to every form of the portal, as every role (hypothesis).

For each form-handling URL and each role, hypothesis takes the form's valid data, breaks a
few fields (long and odd Unicode text, NUL bytes, HTML, SQL, wrong types, lists, numbers,
foreign and malformed identifiers), adds junk fields, points the URL at somebody else's or
a malformed object, and now and then leaves out the CSRF token, uses another method or
floods the request. Every example must hold:

* no server error: a form error (200), a redirect, 400, 403, 404 or 405, and a redirect
  never leaves the site;
* a role the view refuses gets 403 (anonymous users the login page), a missing CSRF token
  403 and a URL that does not resolve 404, whatever the data;
* a refused request changes nothing: a fingerprint of every table of the portal's apps
  (except the access log, which records refusals by design) is the same afterwards;
* a request that succeeded changed only what the user may change (requests, children,
  steps, claims, contacts and sign-ups within the user's scope, made by the user), and
  the page it leads to renders;
* no page contains a raw `<script>`-like tag that was posted.

FUZZ_EXAMPLES (default 100: CI's 25 minutes on a slow 2-core machine; `FUZZ_EXAMPLES=1000
make test` for a deeper run) is the number of examples for each form, shared by the roles
its view lets in (at least 10 each); a role the view refuses gets a fortieth (at least 3),
as its answer cannot depend on the data. Hand-written examples of each form's scope
boundaries (somebody else's organisation, child, request or claim) run first for every
role. The users and objects are made once for the module in a transaction that is rolled
back at its end; every test runs in a savepoint of it and every example in a savepoint of
its own, so nothing is committed and no example sees another's changes.
"""
