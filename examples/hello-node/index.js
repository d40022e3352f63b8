// Says hello. Runs unchanged on AWS Lambda's nodejs runtime too.
'use strict';

const greeting = process.env.GREETING || 'Hello';

exports.handler = async (event, context) => {
  const name = (event && typeof event.name === 'string' && event.name.trim()) || 'world';
  console.log(`greeting ${name}`);
  return { message: `${greeting}, ${name}!`, requestId: context.awsRequestId };
};
