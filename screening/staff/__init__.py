"""Staff: who may do what (access, roles), accounts and sessions, routing, decisions."""
