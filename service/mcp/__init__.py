"""The MCP server (Model Context Protocol) for AI assistants: Innomatch's searches, matches, demand, KPI
gaps and buyer groups as tools, over stdio (`innomatch mcp`) and streamable HTTP (/mcp); docs/mcp.md."""
