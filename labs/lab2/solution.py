"""Lab 2's answer with boto3: the fixed functions, zipped in memory and deployed.

    labengine grade lab2 --exec 'python3 labs/lab2/solution.py'
"""
import io
import os
import zipfile

import boto3

here = os.path.dirname(os.path.abspath(__file__))
lambda_ = boto3.client("lambda")


def package(*files):
    """A deployment package: the zip of the function's Lua files, by their names."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in files:
            archive.write(os.path.join(here, "solution", name), name)
    return buffer.getvalue()


for function, file in [("StateLambda", "state_lambda.lua"), ("ReduceLambda", "reduce_lambda.lua")]:
    configuration = lambda_.update_function_code(FunctionName=function, ZipFile=package(file))
    print(function, configuration["CodeSha256"], configuration["CodeSize"], "bytes")
