import CloudSim
import DocumentModel
import Foundation
import Testing

/// The real AWS CLI and boto3 against the endpoint, through `--exec`, as a learner runs them.
/// `make setup` installs both when missing; without them these tests fail, they do not skip.
@Suite(.serialized) struct WireClientTests {
    static let clients = CLIRunner.fixtures.appendingPathComponent("clients")

    /// The command's output, as `run` prints it after `$ COMMAND`.
    func run(_ arguments: [String]) throws -> CLIRunner.Output { try CLIRunner.run(arguments) }

    @Test func boto3CallsEveryOperationAndParsesEveryAnswer() throws {
        let result = try run(["run", "wire", "--exec", "python3 clients/boto3_operations.py"])
        #expect(result.stdout.contains("all operations behaved"), "\(result.stdout.suffix(3000))")
        let covered = Set(result.stdout.split(separator: "\n").compactMap { line -> String? in
            line.hasPrefix("covered: ") ? String(line.dropFirst("covered: ".count)) : nil
        })
        let registry = ServiceRegistry.shared
        let implemented = Set(AWSService.allCases.flatMap { service in
            registry.model(service).operations.keys.map { "\(service.rawValue).\($0)" }
        })
        #expect(implemented.subtracting(covered).isEmpty, "operations boto3 never called: \(implemented.subtracting(covered).sorted())")
        #expect(result.status == 0, "the script's steps pass too: \(result.stdout.suffix(500))")
    }

    @Test func hostileRequestsGetAWSErrorsAndTheEndpointGoesOn() throws {
        let result = try run(["run", "wire", "--exec", "python3 clients/hostile_requests.py"])
        #expect(result.stdout.contains("all hostile requests answered"), "\(result.stdout.suffix(3000))")
        #expect(!result.stdout.contains("FAILED"))
    }

    /// The same requests through the Lua API and through boto3: the same responses, and the
    /// same account after a virtual minute (tables and function logs, byte for byte).
    @Test func theLuaAPIAndBoto3GiveTheSameAnswersAndTheSameAccount() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("differential-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: temp) }
        let lua = try run(["run", "wire", "--actions", "clients/same_requests.lua", "--artifacts", temp.appendingPathComponent("lua").path])
        let boto3 = try run(["run", "wire", "--exec", "python3 clients/same_requests.py", "--artifacts", temp.appendingPathComponent("boto3").path])
        func results(_ text: String) -> [(String, Document?)] {
            // An actions file's prints carry their `file:line: ` first; a script's do not.
            text.split(separator: "\n").compactMap { line -> Substring? in line.range(of: "RESULT ").map { line[$0.lowerBound...] } }.map { line in
                let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
                return (parts[1], parts.count > 2 ? try? Document(jsonText: parts[2]) : nil)
            }
        }
        let fromLua = results(lua.stdout)
        let fromBoto3 = results(boto3.stdout)
        #expect(fromLua.count == 10 && fromBoto3.count == 10, "lua: \(lua.stdout.suffix(1000)) boto3: \(boto3.stdout.suffix(1000))")
        for (a, b) in zip(fromLua, fromBoto3) {
            #expect(a.0 == b.0 && a.1 != nil && a.1 == b.1, "\(a.0): Lua \(String(describing: a.1)) vs boto3 \(String(describing: b.1))")
        }
        let fm = FileManager.default
        for folder in ["tables", "logs"] {
            let names = try fm.contentsOfDirectory(atPath: temp.appendingPathComponent("lua/\(folder)").path).sorted()
            #expect(names == (try fm.contentsOfDirectory(atPath: temp.appendingPathComponent("boto3/\(folder)").path).sorted()))
            #expect(!names.isEmpty)
            for name in names {
                let a = fm.contents(atPath: temp.appendingPathComponent("lua/\(folder)/\(name)").path)
                let b = fm.contents(atPath: temp.appendingPathComponent("boto3/\(folder)/\(name)").path)
                #expect(a != nil && a == b, "\(folder)/\(name) differs")
            }
        }
    }

    @Test func actionsAndCommandsRunInTheOrderGiven() throws {
        let actions = Self.clients.appendingPathComponent("make_table.lua").path
        let describe = "aws dynamodb describe-table --table-name Ordered --query Table.TableName --output text"
        let after = try run(["grade", "wire", "--actions", actions, "--exec", describe, "--format", "json"])
        let before = try run(["grade", "wire", "--exec", describe, "--actions", actions, "--format", "json"])
        let statusAfter = try Document(jsonText: after.stdout)["commands"]?.arrayValue?.first?["exitStatus"]
        let statusBefore = try Document(jsonText: before.stdout)["commands"]?.arrayValue?.first?["exitStatus"]
        #expect(statusAfter == 0, "\(after.stderr)")
        #expect(statusBefore != nil && statusBefore != 0, "the table did not exist yet: \(before.stderr)")
    }

    @Test func theSameScriptAndSeedGiveAByteIdenticalReport() throws {
        let first = try run(["grade", "wire", "--exec", "python3 clients/same_requests.py", "--format", "json"])
        let second = try run(["grade", "wire", "--exec", "python3 clients/same_requests.py", "--format", "json"])
        #expect(!first.stdout.isEmpty && first.stdout == second.stdout)
        let requests = try Document(jsonText: first.stdout)["commands"]?.arrayValue?.first?["requests"]?.intValue
        #expect(requests == 20, "the endpoint counted the script's requests: \(String(describing: requests))")
    }

    @Test func aCommandPastItsTimeoutIsStoppedAndReported() throws {
        // Not `sleep`: a command's sleeps are virtual and return at once.
        let result = try run(["grade", "wire", "--exec", "tail -f /dev/null", "--exec-timeout", "1", "--format", "json"])
        let command = try Document(jsonText: result.stdout)["commands"]?.arrayValue?.first
        #expect(command?["timedOut"] == true && command?["exitStatus"] == 124, "\(result.stdout)")
    }

    /// A command's `sleep` lets the run's virtual time pass and returns at once: a message
    /// sent with a minute's delay is received after `sleep 1m`, under a 30-second timeout
    /// for the whole command; waiting past the limit before the run starts is refused.
    @Test func aCommandsSleepIsVirtualTime() throws {
        let script = """
            set -e
            sqs() { aws --endpoint-url "$AWS_ENDPOINT_URL" sqs "$@"; }
            url=$(sqs create-queue --queue-name later --query QueueUrl --output text)
            sqs send-message --queue-url "$url" --message-body soon --delay-seconds 60 > /dev/null
            echo "before: $(sqs receive-message --queue-url "$url" --query 'Messages[0].Body' --output text)"
            sleep 1m 0.5
            echo "after: $(sqs receive-message --queue-url "$url" --query 'Messages[0].Body' --output text)"
            sleep 3600 || echo "refused"
            """
        let quoted = "bash -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))'"
        let result = try run(["run", "wire", "--exec", quoted, "--exec-timeout", "30"])
        let output = result.stdout
        #expect(!output.contains("timed out"), "\(output.suffix(2000))")
        #expect(output.contains("before: None\n") && output.contains("after: soon\n"), "\(output.suffix(2000))")
        #expect(output.contains("sleep: labengine: sleeping 3600 s would make 3660.5 s of waiting before the run starts; at most 600 s are allowed\nrefused"), "\(output.suffix(2000))")
    }

    /// The sleep route answers only the command it was made for, and refuses what is not a
    /// number of seconds, without moving the clock: a message sent with a 60 s delay is still
    /// not receivable after the refused requests.
    @Test func theSleepRouteRefusesBadRequests() throws {
        let script = #"""
            import os, urllib.request, urllib.error
            import boto3
            sqs = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
            url = sqs.create_queue(QueueName="later")["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody="soon", DelaySeconds=60)
            def post(body, token):
                request = urllib.request.Request(os.environ["LABENGINE_SLEEP_URL"], data=body.encode(), method="POST",
                                                 headers={"X-Labengine-Token": token})
                try:
                    return urllib.request.urlopen(request).status, "ok"
                except urllib.error.HTTPError as error:
                    return error.code, error.read().decode()
            token = os.environ["LABENGINE_SLEEP_TOKEN"]
            print("wrong token:", post("60", "not-the-token"))
            print("not a number:", post("soon", token))
            print("negative:", post("-5", token))
            print("received:", len(sqs.receive_message(QueueUrl=url).get("Messages", [])))
            """#
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sleep-route-\(UInt64.random(in: 0...UInt64.max)).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try run(["run", "wire", "--exec", "python3 \(file.path)"]).stdout
        #expect(output.contains("wrong token: (403, \"not this command's clock\")"), "\(output.suffix(2000))")
        #expect(output.contains("not a number: (400, \"sleep needs a number of seconds, not 'soon'\")"), "\(output.suffix(2000))")
        #expect(output.contains("negative: (400, 'sleep needs a number of seconds of 0 or more, not -5.0')"), "\(output.suffix(2000))")
        #expect(output.contains("received: 0\n"), "\(output.suffix(2000))")
    }

    @Test func gradeExecOnLab1WithTheAWSCLIReachesFullMarks() throws {
        let result = try CLIRunner.run(["grade", "lab1", "--exec", "bash labs/lab1/solution.sh", "--labs", "labs"], in: CLIRunner.packageRoot)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("score 300/300: PASSED"))
        #expect(result.stdout.contains("command: bash labs/lab1/solution.sh: exit status 0"))
    }

    /// The AWS CLI v1 speaks SQS's JSON protocol to the endpoint and shows SQS's own error
    /// code (the query protocol's, from `x-amzn-query-error`) for a missing queue. CLI v1
    /// sends `aws sqs` to queue.amazonaws.com unless `--endpoint-url` is given: it ignores
    /// AWS_ENDPOINT_URL for SQS (awscli/customizations/overridesslcommonname.py).
    @Test func theAWSCLIUsesSQS() throws {
        let script = """
            set -e
            sqs() { aws --endpoint-url "$AWS_ENDPOINT_URL" sqs "$@"; }
            url=$(sqs create-queue --queue-name jobs --query QueueUrl --output text)
            sqs send-message --queue-url "$url" --message-body hello --query MD5OfMessageBody --output text
            sqs receive-message --queue-url "$url" --query 'Messages[0].Body' --output text
            sqs get-queue-url --queue-name missing 2>&1 || true
            """
        let result = try run(["run", "wire", "--exec", "bash -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))'"])
        #expect(result.stdout.contains("5d41402abc4b2a76b9719d911017c592"), "\(result.stdout.suffix(2000))")
        #expect(result.stdout.contains("\nhello\n"), "\(result.stdout.suffix(2000))")
        #expect(result.stdout.contains("(AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist."), "\(result.stdout.suffix(2000))")
    }

    /// SNS over the query protocol: a topic fans out to a queue whose policy lets it send,
    /// and the queue holds SNS's JSON envelope
    /// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
    @Test func theAWSCLIUsesSNS() throws {
        let script = """
            set -e
            topic=$(aws sns create-topic --name alerts --query TopicArn --output text)
            url=$(aws --endpoint-url "$AWS_ENDPOINT_URL" sqs create-queue --queue-name inbox --query QueueUrl --output text)
            policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-west-2:123456789012:inbox","Condition":{"ArnEquals":{"aws:SourceArn":"'"$topic"'"}}}]}'
            aws --endpoint-url "$AWS_ENDPOINT_URL" sqs set-queue-attributes --queue-url "$url" --attributes "$(python3 -c 'import json,sys; print(json.dumps({"Policy": sys.argv[1]}))' "$policy")"
            aws sns subscribe --topic-arn "$topic" --protocol sqs --notification-endpoint arn:aws:sqs:us-west-2:123456789012:inbox --query SubscriptionArn --output text
            aws sns publish --topic-arn "$topic" --subject Hi --message 'disk full' --query MessageId --output text
            aws --endpoint-url "$AWS_ENDPOINT_URL" sqs receive-message --queue-url "$url" --query 'Messages[0].Body' --output text
            aws sns get-topic-attributes --topic-arn "${topic}x" 2>&1 || true
            """
        let result = try run(["run", "wire", "--exec", "bash -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))'"])
        #expect(result.stdout.contains("arn:aws:sns:us-west-2:123456789012:alerts:"), "\(result.stdout.suffix(2000))")
        #expect(result.stdout.contains(#""Type":"Notification""#) && result.stdout.contains(#""Message":"disk full""#), "\(result.stdout.suffix(2000))")
        #expect(result.stdout.contains(#""Subject":"Hi""#), "\(result.stdout.suffix(2000))")
        #expect(result.stdout.contains("An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist"), "\(result.stdout.suffix(2000))")
    }

    /// Lab 3's answers with the AWS CLI and with boto3 reach full marks: the trigger's retry
    /// limit, bisecting and on-failure queue set over the wire.
    @Test(arguments: ["bash labs/lab3/solution.sh", "python3 labs/lab3/solution.py"])
    func gradeExecOnLab3ReachesFullMarks(script: String) throws {
        let result = try CLIRunner.run(["grade", "lab3", "--exec", script, "--labs", "labs"], in: CLIRunner.packageRoot)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("score 500/500: PASSED"), "\(result.stdout)")
    }
}
