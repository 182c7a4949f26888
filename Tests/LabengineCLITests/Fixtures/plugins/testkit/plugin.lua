-- A plugin for the test labs: one of each kind of registration.
return {
  name = "testkit",
  version = "2.1",
  api = 1,
  register = function(r)
    r.failure_mode{ name = "boom", kind = "invocation-error", description = "fails invocations" }
    r.check("count_items", function(ctx, table_name) return #ctx.items(table_name) end)
    r.reporter("brief", function(report) return report.lab .. " " .. report.score .. "/" .. report.maxScore end)
    -- Every `every` seconds: send `count` records; `wait` seconds later award the points if
    -- the table grew by `count`; past `phase_at` points switch to phase "hard".
    r.scoring("counter", function(run, p)
      local function round()
        local before = #run.aws.dynamodb.scan{ TableName = "Echoes" }.Items
        local records = {}
        for i = 1, p.count do records[i] = { Data = run.uuid(), PartitionKey = tostring(run.randint(1, 1000)) } end
        run.aws.kinesis.put_records{ StreamName = "Input", Records = records }
        run.after(p.wait, function()
          local grew = #run.aws.dynamodb.scan{ TableName = "Echoes" }.Items - before
          if grew == p.count then
            run.award{ points = p.points, exact = true, detail = "all " .. grew .. " echoed" }
          else
            run.award{ points = 0, exact = false, detail = "echoed " .. grew .. " of " .. p.count }
          end
          if p.phase_at and run.info().score >= p.phase_at then run.set_phase("hard") end
        end)
        run.after(p.every, round)
      end
      run.after(1, round)
    end, { params = { "every", "wait", "count", "points", "phase_at" } })
  end,
}
