/** JSON answers of the web API. Errors carry a code and the next step, like the MCP tools' errors. */
export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

export function jsonError(status: number, code: string, message: string, next: string): Response {
  return json({ error: { code, message, next } }, status);
}
