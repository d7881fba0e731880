"""The offline plan: run the Pulumi program under mocks and list every resource it would create."""
