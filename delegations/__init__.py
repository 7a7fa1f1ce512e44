"""Delegations in both directions: outbound proposals and their approval, inbound visits,
post-trip reports and remains-recovery missions."""
