"""Schemathesis hooks for Onboard's CI run (loaded through SCHEMATHESIS_HOOKS).

* Generators for the two string formats the OpenAPI document declares and no pattern can
  state: `prc-resident-id` (an id number whose 18th character is its GB 11643 check
  character) and `luhn` (a card number whose last digit is its Luhn check digit), so that
  positive test cases are requests the server accepts.
* The check `errors_are_problem_json`: every error the server answers is an RFC 9457
  problem document whose `status` is the HTTP status.
"""

import json

import schemathesis
from hypothesis import strategies as st

GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
GB11643_CHECK = "10X98765432"


def with_id_check(body: str) -> str:
    total = sum(int(d) * w for d, w in zip(body, GB11643_WEIGHTS))
    return body + GB11643_CHECK[total % 11]


def with_luhn_digit(body: str) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d)
        if i % 2 == 0:  # doubled: the check digit will sit to their right
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return body + str((10 - total % 10) % 10)


DIGITS = "0123456789"

schemathesis.openapi.format(
    "prc-resident-id",
    st.text(DIGITS, min_size=17, max_size=17).map(with_id_check),
)
schemathesis.openapi.format(
    "luhn",
    st.text(DIGITS, min_size=11, max_size=18).map(with_luhn_digit),
)

# A readiness probe answers its JSON status body, as its contract says, also with 503.
NOT_PROBLEMS = {("GET", "/readyz")}


@schemathesis.check
def errors_are_problem_json(ctx, response, case):
    """Every 4xx and 5xx answer is application/problem+json with a matching status."""
    if response.status_code < 400:
        return None
    if (case.method.upper(), case.operation.path) in NOT_PROBLEMS:
        return None
    content_type = ",".join(response.headers.get("content-type", []))
    if not content_type.startswith("application/problem+json"):
        raise AssertionError(
            f"{response.status_code} answered with Content-Type {content_type!r}, "
            f"not application/problem+json; body {response.content[:200]!r}"
        )
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"the problem is not JSON: {error}") from error
    for member in ("type", "title", "status", "detail", "code"):
        if member not in problem:
            raise AssertionError(f"the problem has no `{member}`: {problem}")
    if problem["status"] != response.status_code:
        raise AssertionError(
            f"the problem says status {problem['status']}, the response {response.status_code}"
        )
    return None
