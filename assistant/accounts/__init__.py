"""Who may read what: password login and the collections a user may read or write."""
