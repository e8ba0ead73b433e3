-- Argo CD health check for parapet.dev/PosturePolicy (resource.customizations.health.parapet.dev_PosturePolicy).
-- Reads status.observedGeneration and the Accepted condition the operator writes (docs/argocd.md).
local hs = {}
local generation = obj.metadata.generation
if obj.status == nil or (generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < generation)) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to validate this generation"
  return hs
end
local accepted = nil
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Accepted" then
      accepted = c
    end
  end
end
if accepted == nil or accepted.status == "Unknown" then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to validate this policy"
  return hs
end
hs.message = accepted.message or accepted.reason or ""
if accepted.status == "True" then
  hs.status = "Healthy"
else
  hs.status = "Degraded"
end
return hs
