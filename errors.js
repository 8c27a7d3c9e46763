// `require('cdk-ml-reference/errors')`: PropValidationError, kept out of the jsii index (it extends Error).
module.exports = require('./dist/lib/errors');
