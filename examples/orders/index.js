// A small HTTP API behind Nimbus's gateway, written against API Gateway's HTTP API payload 2.0 (so it also runs on
// AWS Lambda behind an HTTP API):
//   GET  /orders        list orders
//   POST /orders        create one from {"item": string, "quantity": positive integer}
//   GET  /orders/{id}   one order, or 404
//
// State lives in this process's memory, so it is per instance: a second instance (scale-out) or a recycled one
// (new version, idle scale-down, crash) starts empty. Real functions keep state in a database.
'use strict';

const { randomUUID } = require('node:crypto');

const orders = new Map();

exports.handler = async (event, context) => {
  switch (event.routeKey) {
    case 'GET /orders':
      return json(200, { orders: [...orders.values()] });
    case 'POST /orders':
      return createOrder(event);
    case 'GET /orders/{id}': {
      const order = orders.get(event.pathParameters && event.pathParameters.id);
      return order ? json(200, order) : json(404, { message: 'order not found' });
    }
    default:
      console.warn(`no route for ${event.routeKey} (request ${context.awsRequestId})`);
      return json(404, { message: `no route for ${event.routeKey}` });
  }
};

function createOrder(event) {
  let input;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body || '', 'base64').toString('utf8') : event.body;
    input = JSON.parse(text || '');
  } catch {
    return json(400, { message: 'body must be a JSON object' });
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return json(400, { message: 'body must be a JSON object' });
  }
  if (typeof input.item !== 'string' || input.item.trim() === '') {
    return json(400, { message: "'item' must be a non-empty string" });
  }
  if (!Number.isInteger(input.quantity) || input.quantity < 1) {
    return json(400, { message: "'quantity' must be a positive integer" });
  }

  const order = { id: randomUUID(), item: input.item.trim(), quantity: input.quantity, createdAt: new Date().toISOString() };
  orders.set(order.id, order);
  console.log(JSON.stringify({ level: 'INFO', message: 'order created', orderId: order.id, item: order.item }));
  return { ...json(201, order), headers: { 'content-type': 'application/json', location: `/orders/${order.id}` } };
}

function json(statusCode, body) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
