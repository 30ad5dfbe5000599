"""HTTP routers of the chat app; each parses input, calls the library and formats output."""
