"""An MCP client from the official Python SDK, driving `chronoterm mcp` for the tests.

Usage: mcp_client.py PLAN.json -- COMMAND [ARGS...]

PLAN is a list of steps run in one session, in order; what each answered is printed
as one JSON list on standard output:
  {"op": "list_tools"}
  {"op": "call", "name": "...", "arguments": {...}}   a value "$token" takes the last
                                                      answer's structured "token"
  {"op": "read", "uri": "chronoterm://..."}
  {"op": "concurrent", "count": 50, "name": "...", "arguments": {...}}
  {"op": "elicitation", "answer": true}               first in the plan: the client says it
                                                      can ask its person, and answers so
"""

import asyncio
import json
import os
import sys

import mcp_types
from mcp import ClientSession, StdioServerParameters, stdio_client


def answer(result):
    texts = [block.text for block in result.content if getattr(block, "type", "") == "text"]
    return {"is_error": bool(result.is_error), "structured": result.structured_content, "text": "\n".join(texts)}


async def main():
    split = sys.argv.index("--")
    with open(sys.argv[1]) as file:
        plan = json.load(file)
    command = sys.argv[split + 1:]
    server = StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ))
    out = []
    last_token = None
    asked = []
    options = {}
    if plan and plan[0]["op"] == "elicitation":
        consent = plan.pop(0)["answer"]

        async def elicit(context, params):
            asked.append(params.message)
            return mcp_types.ElicitResult(action="accept", content={"confirm": consent})

        options["elicitation_callback"] = elicit
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write, **options) as session:
            init = await session.initialize()
            out.append({"op": "initialize", "server": init.server_info.name})
            for step in plan:
                op = step["op"]
                if op == "list_tools":
                    tools = await session.list_tools()
                    out.append({
                        "op": op,
                        "tools": [{
                            "name": tool.name,
                            "read_only": tool.annotations.read_only_hint if tool.annotations else None,
                            "destructive": tool.annotations.destructive_hint if tool.annotations else None,
                            "open_world": tool.annotations.open_world_hint if tool.annotations else None,
                        } for tool in tools.tools],
                    })
                elif op == "call":
                    arguments = {key: (last_token if value == "$token" else value)
                                 for key, value in step.get("arguments", {}).items()}
                    result = answer(await session.call_tool(step["name"], arguments))
                    if isinstance(result["structured"], dict) and "token" in result["structured"]:
                        last_token = result["structured"]["token"]
                    out.append({"op": op, "name": step["name"], "asked": asked[:], **result})
                    asked.clear()
                elif op == "read":
                    result = await session.read_resource(step["uri"])
                    out.append({"op": op, "uri": step["uri"], "texts": [c.text for c in result.contents]})
                elif op == "concurrent":
                    calls = [session.call_tool(step["name"], step.get("arguments", {})) for _ in range(step["count"])]
                    results = await asyncio.gather(*calls)
                    out.append({"op": op, "answers": [answer(r) for r in results]})
    json.dump(out, sys.stdout)


asyncio.run(main())
