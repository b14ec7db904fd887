"""The provider's consultation-day workspace in the admin: the queue's order and attention
panel, plain flag labels by section, the source list, a patient's earlier submissions, the
provider's skin-type check, exports. Data and pure functions; the admin pages call them."""
