-- Drives Neovim's own LSP client against `rulec lsp`, headless. Arguments come as globals set
-- with -c before this file runs: RULEC (the command, a list), OUT (where to write the JSON).
-- Every wait is bounded (vim.wait polls a condition; it does not sleep a fixed time).
local WAIT_MS = 20000
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'rules'
local client_id = vim.lsp.start_client({
  name = 'rulec',
  cmd = RULEC,
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(buf, client_id)

local result = { diagnostics = {}, completion = {}, hover = '' }
local function finish(err)
  result.error = err or ''
  local file = io.open(OUT, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd('qa!')
end

local ready = vim.wait(WAIT_MS, function() return #vim.diagnostic.get(buf) > 0 end, 20)
if not ready then return finish('no diagnostics within ' .. WAIT_MS .. ' ms') end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  table.insert(result.diagnostics, { line = d.lnum, col = d.col, severity = d.severity, code = code, message = d.message })
end

local uri = vim.uri_from_bufnr(buf)
-- Completion on the empty last line of the [SSH] section; hover on the key `path` (line 2).
local lines = vim.api.nvim_buf_line_count(buf)
local completion = vim.lsp.buf_request_sync(buf, 'textDocument/completion',
  { textDocument = { uri = uri }, position = { line = lines - 1, character = 0 } }, WAIT_MS)
for _, response in pairs(completion or {}) do
  local items = response.result and (response.result.items or response.result) or {}
  for _, item in ipairs(items) do table.insert(result.completion, item.label) end
end
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
  { textDocument = { uri = uri }, position = { line = 1, character = 1 } }, WAIT_MS)
for _, response in pairs(hover or {}) do
  if response.result then result.hover = response.result.contents.value end
end
finish(nil)
