"""Mail: the emails the app sends and the tasks that send them."""
