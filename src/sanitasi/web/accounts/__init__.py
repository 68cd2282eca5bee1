"""Users' roles and scope (UserProfile), the demo accounts and the demo-password rule."""
