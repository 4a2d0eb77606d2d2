// The health check of a replica set's first member (docker-compose.yml): the first time
// it runs, it initiates the set with the members in JOBWISE_RS_MEMBERS (the other
// members are healthy by then: the first one depends on them); then, as every time
// after, it reports healthy once the set has a primary.
//   mongosh --quiet --file /jobwise/replica-set.js
const members = (process.env.JOBWISE_RS_MEMBERS || '').split(',').filter(Boolean);
try {
  rs.status();
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error;
  rs.initiate({
    _id: 'rs0',
    // The first member is preferred as primary, so the set settles the same way each time.
    members: members.map((host, index) => ({ _id: index, host, priority: index === 0 ? 2 : 1 })),
  });
}
quit(rs.status().members.some((member) => member.stateStr === 'PRIMARY') ? 0 : 1);
