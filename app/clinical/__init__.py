"""The clinical vocabulary the enquiry, the check-in and the desk share: the answers offered,
the red-flag screen, and the form fields that ask them."""
