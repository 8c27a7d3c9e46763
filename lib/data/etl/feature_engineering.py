"""Glue Spark job: raw tables -> feature SQL -> partitioned Parquet, plus a training export.

The transformation itself is not in this file: it is the SQL file passed as --sql_path (an S3
asset of lib/data/etl/features.sql), the same file the repository's tests run with DuckDB.
This script only reads the inputs, exposes each to the SQL as a temporary view, runs the SQL,
and writes the result:

- the features table, Parquet partitioned by --partition_keys, under --output_path;
- when --export_path is not "none": for each split value of --split_column (train, validation,
  test) the --export_columns (label first) as CSV without a header under <export>/<split>/, the
  train rows with a header under <export>/baseline/ (the Model Monitor baseline input), and
  <export>/feature-schema.json (label and features with their types).
"""
import json
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

ARGS = getResolvedOptions(
    sys.argv,
    [
        "JOB_NAME",
        "input_views",
        "input_paths",
        "input_formats",
        "sql_path",
        "output_path",
        "partition_keys",
        "write_mode",
        "export_path",
        "export_columns",
        "split_column",
    ],
)
SPLITS = ["train", "validation", "test"]
INTEGER_TYPES = {"tinyint", "smallint", "int", "bigint"}


def read_sql(spark, path):
    # wholetext keeps the file as one row, comments and line breaks included.
    return spark.read.text(path, wholetext=True).first()[0]


def read_inputs(glue_context):
    """Each input as a temporary view; False when one has no new rows (a bookmarked run after no new file)."""
    views = ARGS["input_views"].split(",")
    paths = ARGS["input_paths"].split(",")
    formats = ARGS["input_formats"].split(",")
    frames = []
    for view, path, fmt in zip(views, paths, formats):
        # A DynamicFrame with a transformation_ctx, so job bookmarks skip files already processed.
        source = glue_context.create_dynamic_frame.from_options(
            connection_type="s3",
            connection_options={"paths": [path], "recurse": True},
            format=fmt,
            format_options={"withHeader": True} if fmt == "csv" else {},
            transformation_ctx=view,
        )
        # Columns Glue could not type consistently (a "choice" of types) arrive as text: the SQL
        # types every column itself, the same way on Spark and in the DuckDB tests.
        frames.append((view, source.resolveChoice(choice="cast:string").toDF()))
    # Nothing new is nothing to do, not a failed run: without a schema the SQL would fail.
    if any(not df.columns or not df.head(1) for _, df in frames):
        return False
    for view, df in frames:
        df.createOrReplaceTempView(view)
    return True


def schema_json(features, label, columns):
    types = dict(features.dtypes)
    kind = lambda c: "int" if types[c] in INTEGER_TYPES else "double"
    return json.dumps({"label": {"name": label, "type": kind(label)},
                       "features": [{"name": c, "type": kind(c)} for c in columns]}, indent=2) + "\n"


def write_export(spark, features):
    export = ARGS["export_path"].rstrip("/") + "/"
    columns = ARGS["export_columns"].split(",")
    split = ARGS["split_column"]
    for name in SPLITS:
        rows = features.where("%s = '%s'" % (split, name)).select(*columns)
        rows.write.mode("overwrite").option("header", "false").csv(export + name + "/")
        if name == "train":
            rows.write.mode("overwrite").option("header", "true").csv(export + "baseline/")
    # One small object, written by the driver: boto3 is on every Glue worker.
    import boto3
    bucket, _, prefix = export[len("s3://"):].partition("/")
    boto3.client("s3").put_object(Bucket=bucket, Key=prefix + "feature-schema.json",
                                  Body=schema_json(features, columns[0], columns[1:]).encode("utf-8"),
                                  ContentType="application/json")


def main():
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    # The SQL numbers days from timestamps; DuckDB runs it in UTC, so Spark must too.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    job = Job(glue_context)
    job.init(ARGS["JOB_NAME"], ARGS)

    if not read_inputs(glue_context):
        job.commit()
        return

    features = spark.sql(read_sql(spark, ARGS["sql_path"]))

    partition_keys = [key for key in ARGS["partition_keys"].split(",") if key]
    writer = features.write.mode(ARGS["write_mode"])
    if partition_keys:
        writer = writer.partitionBy(*partition_keys)
    writer.parquet(ARGS["output_path"])

    if ARGS["export_path"] != "none":
        write_export(spark, features)

    job.commit()


if __name__ == "__main__":
    main()
