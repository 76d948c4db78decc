"""Bind a form to POST data whenever the request is a POST."""


def posted_data(request):
    """The POST data for a POST (even an empty one, so it shows its errors), else None."""
    return request.POST if request.method == "POST" else None
