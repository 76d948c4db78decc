"""GOV.UK form primitives every app's forms build on.

The lowest layer with `notifications` and `audit`: it imports Django and
crispy-forms-gds, never an app of ours.
"""
