/** The cold-start baseline (README, Performance): a DynamoDB document client and one GetItem. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async () => {
  const { Item } = await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'T#bench#CUSTOMER#none', sk: 'CUSTOMER' } }));
  return { statusCode: Item ? 200 : 404, body: '' };
};
