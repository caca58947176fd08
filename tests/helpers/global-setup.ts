// Placeholder until the Postgres adapter lands: provides nothing yet.
export default async function setup() {}
