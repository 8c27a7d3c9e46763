"""Glue Spark job: raw table -> feature SQL -> partitioned Parquet.

The transformation itself is not in this file: it is the SQL file passed as --sql_path (an S3
asset of lib/data/etl/features.sql), the same file the repository's tests run with DuckDB.
This script only reads the input, exposes it to the SQL as a temporary view, runs the SQL,
and writes the result.
"""
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

ARGS = getResolvedOptions(
    sys.argv,
    [
        "JOB_NAME",
        "input_path",
        "input_format",
        "view_name",
        "sql_path",
        "output_path",
        "partition_keys",
        "write_mode",
    ],
)


def read_sql(spark, path):
    # wholetext keeps the file as one row, comments and line breaks included.
    return spark.read.text(path, wholetext=True).first()[0]


def main():
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    job = Job(glue_context)
    job.init(ARGS["JOB_NAME"], ARGS)

    # A DynamicFrame with a transformation_ctx, so job bookmarks skip files already processed.
    format_options = {"withHeader": True} if ARGS["input_format"] == "csv" else {}
    source = glue_context.create_dynamic_frame.from_options(
        connection_type="s3",
        connection_options={"paths": [ARGS["input_path"]], "recurse": True},
        format=ARGS["input_format"],
        format_options=format_options,
        transformation_ctx="raw_records",
    )
    # Columns Glue could not type consistently (a "choice" of types) arrive as text: the SQL
    # types every column itself, the same way on Spark and in the DuckDB tests.
    records = source.resolveChoice(choice="cast:string").toDF()
    # With bookmarks, a run after which no file was added reads nothing, not even a schema: the
    # SQL would fail on missing columns. Nothing new is nothing to do, not a failed run.
    if not records.columns or not records.head(1):
        job.commit()
        return
    records.createOrReplaceTempView(ARGS["view_name"])

    features = spark.sql(read_sql(spark, ARGS["sql_path"]))

    partition_keys = [key for key in ARGS["partition_keys"].split(",") if key]
    writer = features.write.mode(ARGS["write_mode"])
    if partition_keys:
        writer = writer.partitionBy(*partition_keys)
    writer.parquet(ARGS["output_path"])

    job.commit()


if __name__ == "__main__":
    main()
