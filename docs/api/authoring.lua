---@meta
-- LuaLS annotations for the lab authoring API (see docs/authoring.md).

---@class LabInfo
---@field id string
---@field region string
---@field account string
---@field seed integer
---@field functions table<string, string> function name -> code file, relative to the lab folder

---@class Step
---@field id string stable id (reports and tests use it)
---@field title string
---@field instructions string Markdown text, or the name of a .md file in the lab folder
---@field check fun(ctx: Ctx): boolean, string? passed, and a message that says what is missing
---@field solve fun(aws: aws)? the reference solution, through the same aws API
---@field hints string[]?

---@class Failure
---@field mode string "plugin.mode" as a plugin registered it
---@field phase string? active only in this phase
---@field rates table<string, number> function name -> probability per invocation
---@field point "before"|"between"|"after"|"any"|nil where an invocation error strikes

---@class Lab
---@field id string the lab's folder name
---@field title string
---@field extends string? a lab whose world, solved, this one starts from
---@field region string?
---@field account string?
---@field plugins string[]? "name" or "name@version"
---@field minutes integer? run length (default 10)
---@field world_age integer? seconds the starting world has existed when the learner starts (default 0, or the parent's)
---@field start_score integer?
---@field max_score integer|fun(minutes: integer): integer
---@field phase string? the phase a run starts in
---@field world fun(aws: aws, lab: LabInfo)? builds the starting world
---@field functions table<string, string>? code learners edit (init and show --function)
---@field scoring { rule: string, params: table }?
---@field failures Failure[]?
---@field passing fun(result: { score: integer, max_score: integer, steps_passed: boolean, minutes: table[], run_minutes: integer }): boolean
---@field steps Step[]

---@class Ctx read-only views of the world, for checks
---@field aws aws the administrator's client; changing operations fail during checks
---@field plugins table<string, table<string, function>> check helpers plugins registered
local Ctx = {}
---@return boolean allowed, string decision, string? statement
function Ctx.iam.allowed(role, action, resource) end
---@return table[] items every item of the table, plain values
function Ctx.items(table_name) end
---@return string[] lines the function's log
function Ctx.logs(function_name) end
---@return { invocations: integer, errors: integer, throttles: integer, max_concurrency: integer, max_duration_ms: number, max_iterator_age_ms: number }
function Ctx.metrics(function_name) end
---@return table[] mappings the function's event source mappings (API fields)
function Ctx.mappings(function_name) end
---@return { score: integer, max_score: integer, phase: string?, minutes: table[], now: number, region: string, account: string, seed: integer, lab: string }
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

---@class PluginRegistry what plugin.lua's register(r) receives
local PluginRegistry = {}
---@param spec { name: string, kind: "invocation-error"|"duplicate-delivery"|"throttle", point: string?, description: string? }
function PluginRegistry.failure_mode(spec) end
---@param name string
---@param fn fun(ctx: Ctx, ...): any
function PluginRegistry.check(name, fn) end
---@param name string
---@param fn fun(run: Run, params: table)
function PluginRegistry.scoring(name, fn) end
---@param name string
---@param fn fun(report: table): string
function PluginRegistry.reporter(name, fn) end
