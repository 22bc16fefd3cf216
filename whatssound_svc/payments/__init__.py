"""Payments: webhook intake from Stripe and RevenueCat into the event ledger (private.webhook_events)."""
