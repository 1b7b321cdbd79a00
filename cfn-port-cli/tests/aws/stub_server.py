"""A stub ElastiCache endpoint for what moto does not return: cache clusters
with node endpoints (`describe-cache-clusters --show-cache-node-info`).

Usage: stub_server.py PORT. Answers DescribeReplicationGroups with no groups
and DescribeCacheClusters with a memcached cluster (configuration endpoint
and one node) and a single-node redis cluster, but only when the request asks
for node information; anything else is a 400 error in the service's format.
"""

import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

NAMESPACE = "http://elasticache.amazonaws.com/doc/2015-02-02/"

GROUPS = """<DescribeReplicationGroupsResponse xmlns="{ns}">
  <DescribeReplicationGroupsResult><ReplicationGroups/></DescribeReplicationGroupsResult>
  <ResponseMetadata><RequestId>stub-1</RequestId></ResponseMetadata>
</DescribeReplicationGroupsResponse>"""

CLUSTERS = """<DescribeCacheClustersResponse xmlns="{ns}">
  <DescribeCacheClustersResult>
    <CacheClusters>
      <CacheCluster>
        <CacheClusterId>sessions-memo</CacheClusterId>
        <Engine>memcached</Engine>
        <CacheClusterStatus>available</CacheClusterStatus>
        <NumCacheNodes>1</NumCacheNodes>
        <ConfigurationEndpoint><Address>sessions-memo.cfg.example</Address><Port>11211</Port></ConfigurationEndpoint>
        <CacheNodes>
          <CacheNode>
            <CacheNodeId>0001</CacheNodeId>
            <CacheNodeStatus>available</CacheNodeStatus>
            <Endpoint><Address>sessions-memo.0001.example</Address><Port>11211</Port></Endpoint>
          </CacheNode>
        </CacheNodes>
        <ARN>arn:aws:elasticache:eu-west-1:123456789012:cluster:sessions-memo</ARN>
      </CacheCluster>
      <CacheCluster>
        <CacheClusterId>queue</CacheClusterId>
        <Engine>redis</Engine>
        <CacheClusterStatus>available</CacheClusterStatus>
        <NumCacheNodes>1</NumCacheNodes>
        <CacheNodes>
          <CacheNode>
            <CacheNodeId>0001</CacheNodeId>
            <Endpoint><Address>queue.0001.example</Address><Port>3560</Port></Endpoint>
          </CacheNode>
        </CacheNodes>
        <ARN>arn:aws:elasticache:eu-west-1:123456789012:cluster:queue</ARN>
      </CacheCluster>
    </CacheClusters>
  </DescribeCacheClustersResult>
  <ResponseMetadata><RequestId>stub-2</RequestId></ResponseMetadata>
</DescribeCacheClustersResponse>"""

ERROR = """<ErrorResponse xmlns="{ns}">
  <Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>{message}</Message></Error>
  <RequestId>stub-3</RequestId>
</ErrorResponse>"""


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        action = form.get("Action", [""])[0]
        if action == "DescribeReplicationGroups":
            self.answer(200, GROUPS)
        elif action == "DescribeCacheClusters" and form.get("ShowCacheNodeInfo") == ["true"]:
            self.answer(200, CLUSTERS)
        else:
            self.answer(400, ERROR.replace("{message}", "stub does not answer this request"))

    def answer(self, status, body):
        data = body.replace("{ns}", NAMESPACE).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
