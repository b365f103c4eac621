"""Passwords, secrets, CSRF and the sign-in rate limit."""
