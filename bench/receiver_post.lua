-- wrk script for bench/receiver_load.sh: the article's request (form body,
-- Secret header), each with its own event id so the receiver stores every
-- one. env: SECRET, COREID, CLOSE=1 for a new connection per request,
-- ID_BASE (a different one per run, so runs never reuse ids).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = (tonumber(os.getenv("ID_BASE")) or 0) + tid * 100000000
end

local secret = os.getenv("SECRET")
local coreid = os.getenv("COREID")
local close = os.getenv("CLOSE") == "1"
local data = "%7B%22temperature%22%3A21.5%2C%22humidity%22%3A40%2C%22gas%22%3A612%2C%22movement%22%3Afalse%2C%22flame%22%3Afalse%7D"

function request()
  counter = counter + 1
  local body = "event=sensor-report&data=" .. data .. "&coreid=" .. coreid .. "&id=" .. counter
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Secret"] = secret }
  if close then headers["Connection"] = "close" end
  return wrk.format("POST", "/events", headers, body)
end
