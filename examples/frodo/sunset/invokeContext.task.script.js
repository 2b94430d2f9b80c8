var patch = [{ "operation" : "replace", "field" : "/active", "value" : false }, { "operation" : "replace", "field" : "/accountStatus", "value" : "inactive" }];

logger.debug("Performing Sunset Task on {} ({})", input.mail, objectID);

openidm.patch(objectID, null, patch); true;