"""Ce que partagent les pages des partenaires."""

NAV = "partenaires"
