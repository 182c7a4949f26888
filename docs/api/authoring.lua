---@meta
-- LuaLS annotations for the lab authoring API (see docs/authoring.md). aws.lua (generated
-- by `labengine stubs`) describes aws.<service>.<operation> and the function runtime.

---@class LabInfo what a lab's world(aws, lab) receives
---@field id string
---@field region string
---@field account string
---@field seed integer the run's seed
---@field functions table<string, string> function name -> code file, relative to the lab folder

---@class Step
---@field id string stable id (reports, tests and `labengine hint` use it)
---@field title string
---@field instructions string? Markdown text, or the name of a .md file in the lab folder
---@field check fun(ctx: Ctx): boolean, string?, string? passed, a message that says what is missing, and (when not passed) the name of the hint that fits
---@field solve fun(aws: aws)? the reference solution, through the same aws API
---@field setup fun(aws: aws)? runs as the administrator when the previous step first passes (the first step's: at the start, before the learner's actions)
---@field hints string[]|table<string, string[]>? levels from a nudge to the concept to the answer; or hint name -> levels, `default` shown when the check names none

---@class Failure
---@field mode string "plugin.mode" as a plugin registered it, or "name" for the lab's own register
---@field phase string? active only in this phase
---@field rates table<string, number> function name -> probability per invocation (sdk-error modes: per SDK call); each name must be a function of the world
---@field point "before"|"between"|"after"|"any"|nil where an invocation error strikes (invocation-error modes only)

---@class Lab what lab.lua returns
---@field id string the lab's folder name
---@field title string
---@field description string? one paragraph about the lab: what the learner builds and learns (shown by `list`)
---@field extends string? a lab whose world, solved, this one starts from
---@field region string?
---@field account string?
---@field plugins string[]? "name" or "name@version"
---@field register fun(r: PluginRegistry)? the lab's own checks, failure modes and scoring rules, named "<lab id>.<name>"
---@field minutes integer? run length (default 10)
---@field world_age integer? seconds the starting world has existed when the learner starts (default 0, or the parent's)
---@field check_every integer? virtual seconds between the steps' checks while time runs (default 10, or the parent's)
---@field function_cpu_per_minute integer? seconds of virtual CPU all functions may use per virtual minute; a run over it stops (default 10, or the parent's)
---@field start_score integer?
---@field max_score integer|fun(minutes: integer): integer
---@field phase string? the phase a run starts in
---@field world fun(aws: aws, lab: LabInfo)? builds the starting world
---@field functions table<string, string>? code learners edit (init and show --function)
---@field scoring { rule: string, params: table }?
---@field failures Failure[]?
---@field passing fun(result: { score: integer, max_score: integer, steps_passed: boolean, minutes: table[], run_minutes: integer }): boolean
---@field steps Step[]

---@class FunctionSummary what ctx.functions() holds per function
---@field name string
---@field invocations integer
---@field errors integer failed invocations (timeouts included)
---@field throttles integer
---@field timeouts integer
---@field topError { type: string, count: integer }? the most frequent error type
---@field example string? the first "[ERROR]" log line of that type, with file:line
---@field errorTypes table<string, integer>? failed invocations per error type

---@class Ctx read-only views of the world, for checks
---@field aws aws the administrator's client; changing operations fail during checks
---@field plugins table<string, table<string, function>> check helpers plugins (and the lab's register) registered
local Ctx = {}
Ctx.iam = {}
---@return boolean allowed, string decision, string? statement the statement that decided, e.g. "ReduceLambdaRole/deny statement 1 (NoWrites)"
function Ctx.iam.allowed(role, action, resource) end
---@return table[] items every item of the table, plain values (raises ResourceNotFoundException for a missing table)
function Ctx.items(table_name) end
---@return { body: string, message_id: string, receive_count: integer, sent_time: number }[] messages every message the SQS queue holds, visible or not, without receiving it (raises QueueDoesNotExist)
function Ctx.messages(queue_name) end
---@return string[] lines the function's log
function Ctx.logs(function_name) end
---@return { invocations: integer, errors: integer, throttles: integer, timeouts: integer, max_concurrency: integer, max_duration_ms: number, max_iterator_age_ms: number }
function Ctx.metrics(function_name) end
---@return table<string, FunctionSummary> summaries every function's summary, by name
function Ctx.functions() end
---@return table[] mappings the function's event source mappings (API fields, plus FunctionName and BatchesDelivered)
function Ctx.mappings(function_name) end
---@return { calls: integer, with_token: integer, replayed: integer } counts TransactWriteItems calls, those with a ClientRequestToken, and those a repeated token made a no-op
function Ctx.transactions() end
---@return { injected: table<string, integer>, refused: { function: string, service: string, operation: string, key: table?, time: number }[] } faults injected counts per "function point"; refused: SDK calls an sdk-error mode refused (time: Unix seconds)
function Ctx.faults() end
---@return { score: integer, max_score: integer, phase: string?, minutes: table[], now: number, unix_time: number, region: string, account: string, seed: integer, lab: string }
function Ctx.info() end

---@class Run the scoring rule's handle on a run
---@field aws aws the administrator's client
local Run = {}
---@return number seconds virtual seconds since the simulation's start
function Run.now() end
---@return number seconds Unix time of the simulation
function Run.unix_time() end
--- Calls fn at now + seconds (virtual).
function Run.after(seconds, fn) end
--- Records one round: { points = N, exact = bool, detail = text }.
function Run.award(round) end
function Run.set_phase(name) end
---@return number float in [0, 1) from the run's seed
function Run.random() end
---@return integer
function Run.randint(a, b) end
---@return string
function Run.uuid() end
function Run.log(line) end
function Run.info() end
---@return table[] items every item of the table, plain values, as Ctx.items
function Run.items(table_name) end
---@return table[] messages every message the queue holds, without receiving it, as Ctx.messages
function Run.messages(queue_name) end

---@class PluginRegistry what plugin.lua's (or lab.lua's) register(r) receives
local PluginRegistry = {}
---@param spec { name: string, kind: "invocation-error"|"duplicate-delivery"|"throttle"|"sdk-error", point: string?, description: string?, service: string?, error: string?, message: string? } sdk-error modes name the service whose calls fail and the error code and message they get
function PluginRegistry.failure_mode(spec) end
---@param name string
---@param fn fun(ctx: Ctx, ...): any
function PluginRegistry.check(name, fn) end
---@param name string
---@param fn fun(run: Run, params: table)
---@param spec { params: string[] }? the parameters the rule takes: a lab passing another is an error
function PluginRegistry.scoring(name, fn, spec) end
---@param name string
---@param fn fun(report: table): string
function PluginRegistry.reporter(name, fn) end

-- The function runtime (json, base64, hashlib, time, random and the handler's context) is
-- annotated in aws.lua, with the services.
